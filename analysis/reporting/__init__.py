"""Building blocks of the SNA report: which rows, which breakdowns, protected tables, output files.

``analysis.report`` puts them together; ``analysis.insights`` reads the finished tables. Every
number that leaves this package has been through ``analysis.stats`` disclosure control.
"""
