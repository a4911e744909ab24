/* The vendor's private library, shipped beside its binaries under /opt. */
int SSL_library_init(void);
int Py_Initialize(void);
int acme_core_start(void) { return SSL_library_init() + Py_Initialize(); }
