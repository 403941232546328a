"""Write operations of the careers app, one module per concern (HackSoft style)."""
