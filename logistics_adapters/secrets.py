"""``python -m logistics_adapters.secrets``: print a new key for the ``logistics_secret_key``
server option (the command the error messages and the READMEs give).

The secrets code itself is :mod:`logistics_adapters.transport.secrets`.
"""

from .transport.secrets import generate_key

if __name__ == "__main__":
    print(generate_key())
