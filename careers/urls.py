app_name = "careers"

urlpatterns = []
