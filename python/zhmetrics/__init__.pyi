# Type stubs of the zhmetrics package (python/zhmetrics/__init__.py and the
# C binding _core.c). Records are the library's JSON Lines records as dicts:
# their field set is the library's (SPEC), so they are typed as mappings.
import datetime
import decimal
import os
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

__version__: str

Record = Dict[str, Any]
"""{"type": "document" | "metric" | "error", "doc": str, ...}; exact numbers
are int (written without a fraction) or decimal.Decimal."""
Value = Union[int, decimal.Decimal]
PathArg = Union[str, bytes, os.PathLike]

class DictionaryError(Exception):
    message: str
    file: Optional[str]
    line: Optional[int]
    def __init__(self, message: str, file: Optional[str] = ..., line: Optional[int] = ...) -> None: ...

class Model:
    """Dictionaries and rules, loaded once; read-only, shared by threads."""
    def __init__(self, data_dir: Optional[PathArg] = ..., user_dict: Optional[PathArg] = ...,
                 lexicon: Optional[PathArg] = ...) -> None: ...
    @property
    def lexicon_size(self) -> int: ...
    def extract(self, text: Union[str, bytes, bytearray, memoryview], name: str = ...,
                ref_date: Union[str, datetime.date, None] = ...) -> List[Record]: ...
    def extract_files(self, paths: Union[PathArg, Iterable[PathArg]], jobs: int = ..., glob: str = ...,
                      ref_date: Union[str, datetime.date, None] = ...) -> Iterator[Record]: ...
    def track(self, records: Iterable[Union[Record, str]],
              problems: Optional[List[Tuple[int, str]]] = ...) -> List[Record]:
        """Each target beside the actual that answers it (docs/tracking.md)."""
        ...
    def track_json(self, lines: Sequence[str]) -> Tuple[List[str], List[Tuple[int, str]]]: ...
    def extract_json(self, data: bytes, name: str, ref_date: Optional[str] = ...) -> str:
        """The records as the library writes them, as one JSON array (no dicts)."""
        ...

def to_dataframe(records: Iterable[Record]) -> Any:
    """A pandas.DataFrame, one row per metric (pandas imported on call)."""
    ...
