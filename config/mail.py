"""A console email backend a person can read: Japanese headers and body decoded."""

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend


class ReadableConsoleEmailBackend(ConsoleEmailBackend):
    """Django's console backend prints the MIME source, where Japanese text is base64."""

    def write_message(self, message):
        headers = {
            "From": message.from_email,
            "To": ", ".join(message.to),
            "Reply-To": ", ".join(message.reply_to),
            "Subject": message.subject,
        }
        for name, value in headers.items():
            if value:
                self.stream.write(f"{name}: {value}\n")
        self.stream.write(f"\n{message.body}\n")
        parts = [mimetype for _content, mimetype in getattr(message, "alternatives", [])]
        if parts:
            self.stream.write(f"[+ {', '.join(parts)}]\n")
        self.stream.write("-" * 79 + "\n")
