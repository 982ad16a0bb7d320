from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from retorno.directory.hsds import read_zip

MSG_TOO_BIG = _("El archivo es demasiado grande.")
MSG_NOT_ZIP = _("Suba un archivo .zip con datapackage.json y los CSV de HSDS.")


class HsdsImportForm(forms.Form):
    file = forms.FileField(label=_("Paquete HSDS (.zip)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > getattr(settings, "RETORNO_MAX_UPLOAD_BYTES", 5 * 1024 * 1024):
            raise forms.ValidationError(MSG_TOO_BIG)
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError(MSG_NOT_ZIP)
        read_zip(upload)  # an unreadable package is said on the form; its content, by the job
        upload.seek(0)
        return upload
