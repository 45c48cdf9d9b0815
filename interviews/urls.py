"""Pages of a study about its interviews; filled by the import issue."""

urlpatterns: list = []
