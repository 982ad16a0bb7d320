"""Retorno: reception and reintegration of returned migrants."""
