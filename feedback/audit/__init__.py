"""The audit log: who viewed or exported what, who handled an alert, what was erased."""
