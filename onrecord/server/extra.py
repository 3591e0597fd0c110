"""What to install when the ``server`` extra is missing (a leaf module: the package and app both read it)."""

INSTALL_HINT = "the web server needs the server extra: pip install 'onrecord[server]'"
