"""LeakageReport and its outputs.

One module per job: the tables (``_tables``), the inputs they are built from
(``_inputs``), number formats (``_format``), and the HTML and Excel writers.
"""

from sklearn_leakage._report._leakage_report import LeakageReport

__all__ = ["LeakageReport"]
