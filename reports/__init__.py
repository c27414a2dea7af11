"""Writers and readers of what leaves the toolkit and what comes back: reports, workbooks, packs, templates."""
