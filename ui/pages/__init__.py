"""One module per page; each draws from the service layer and has no business logic of its own."""
