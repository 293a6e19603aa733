"""The demo data set (`make run`) and the fake old-company exports: generated persons and
employments, the export writer, and each app's demo records. Nothing in the domain apps
imports this package; it sits on top of them (issue 15)."""
