"""One date format per language (settings.FORMAT_MODULE_PATH): templates write dates with
`|date:"SHORT_DATE_FORMAT"` / `"SHORT_DATETIME_FORMAT"` and code with
django.utils.formats.date_format, never with a pattern of their own."""
