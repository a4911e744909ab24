/* Stand-in for CentOS 7's OpenSSL 1.0.2 libssl.so.10: a few exported functions under the
   version nodes the real library defines (OPENSSL_1.0.1, OPENSSL_1.0.1_EC, OPENSSL_1.0.2). */
int SSL_library_init(void) { return 1; }
int SSL_CTX_new(void) { return 2; }
int SSL_CTX_set_ecdh_auto(void) { return 3; }
int SSL_CTX_set1_groups(void) { return 4; }
