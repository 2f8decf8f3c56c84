"""Pure domain logic: no store, no Streamlit, no API."""
