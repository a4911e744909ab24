/* Stand-in for /usr/bin/python2.7: a tiny program that needs libpython2.7.so.1.0. */
int Py_Main(int argc, char **argv);
int main(int argc, char **argv) { return Py_Main(argc, argv); }
