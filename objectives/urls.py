app_name = "objectives"

urlpatterns: list = []
