"""Judge the judge: tables whose verdict is known (the ladder), a corpus of public tables, the audit."""
