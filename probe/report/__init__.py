"""Report: report.json and report.html, the annotated screenshot, JUnit XML, diffs, the report folder."""
