from . import test_polling
