from . import test_declaration
