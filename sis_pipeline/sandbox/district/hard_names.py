"""The exact name strings the hard cases plant: (first name, last name) pairs unless noted."""

from __future__ import annotations

import unicodedata


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


_HOUSE = "de la Santísima Trinidad Fernández de Córdoba y Figueroa Álvarez de Toledo"

ACCENTS = ("Zoë", "Núñez")
APOSTROPHE = ("D'Andre", "O'Brien")
HYPHEN = ("Mary-Kate", "Smith-Jones")
NON_LATIN = ("明轩", "李")
STRAY_SPACES = ("  Anna ", "Van  Dyke ")  # leading, trailing and a doubled inner space
NFD = (nfd("José"), nfd("Müller"))  # decomposed: NFC normalisation changes them
LONG_LAST_NAME = f"{_HOUSE} Ponce de León y Mendoza Pimentel Osorio"  # 114: quarantined
# Exactly 100 characters once trimmed and collapsed (not quarantined); longer as stored.
LAST_NAME_100 = f" {_HOUSE.replace(' ', '  ', 1)} Ponce de León y Sotomayor  "

SAME_NAME_PARENTS = ("María", "García")
PARENT_NON_LATIN = (("Дмитрий", "Иванов"), ("فاطمة", "الحسن"))
PARENT_NFD = (nfd("Inès"), nfd("Lefèvre"))
PARENT_STRAY_SPACES = ("Maria ", " Lopez  Garcia")

STAFF_APOSTROPHE_LAST = "O'Connor"
STAFF_NFD_FIRST = nfd("Renée")
STAFF_NON_LATIN = ("Ελένη", "Οικονόμου")
STAFF_STRAY_SPACES = (" Mark", "de  la Cruz ")
