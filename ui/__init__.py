"""The Streamlit app: navigation table, session state, cached services and one module per page."""
