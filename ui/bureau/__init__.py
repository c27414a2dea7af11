"""Helpers of the bureau's pages: a cycle's data (cached per data version), labels, charts, downloads, tables.

Everything is read through the service layer with the signed-in user; the pure core (`scoring`,
`criteria`, `reports`) does the computing. These modules only shape its answers for the screen.
"""
