"""Date formats per language (settings.FORMAT_MODULE_PATH): one way of writing a day
everywhere, dd/mm/yyyy, whichever language a person chose. Django's defaults would read
01/02/2021 as 2 January in English and, lacking Vietnamese input formats, in Vietnamese too."""
