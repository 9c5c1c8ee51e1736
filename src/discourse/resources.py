"""Where the package's own data files (word lists, lexicons, stop words) are: inside the package,
so an installed ``discourse`` finds them wherever it is used."""

from pathlib import Path

#: The folder of data files shipped with the package, each with its source and licence.
DATA = Path(__file__).resolve().parent / "data"
