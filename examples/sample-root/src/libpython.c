/* Stand-in for libpython2.7.so.1.0 (python-libs): unversioned exports, as the real one has. */
int Py_Initialize(void) { return 0; }
int PyRun_SimpleString(const char *s) { return s == 0; }
int Py_Main(int argc, char **argv) { return argc + (argv == 0); }
