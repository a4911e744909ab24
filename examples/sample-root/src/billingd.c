/* The vendor's daemon: needs OpenSSL 1.0.2 (versioned), Python 2.7, Boost 1.53 and its own
   library found through RUNPATH $ORIGIN/../lib. */
int SSL_library_init(void);
int SSL_CTX_set1_groups(void);
int X509_VERIFY_PARAM_set1_host(void);
int Py_Main(int argc, char **argv);
int boost_system_category(void);
int acme_core_start(void);
int main(int argc, char **argv) {
  int rc = SSL_library_init() + SSL_CTX_set1_groups() + X509_VERIFY_PARAM_set1_host() +
           boost_system_category() + acme_core_start();
  return rc + Py_Main(argc, argv);
}
