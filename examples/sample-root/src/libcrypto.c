/* Stand-in for CentOS 7's OpenSSL 1.0.2 libcrypto.so.10 (version nodes as libssl.map). */
int CRYPTO_malloc(void) { return 1; }
int EVP_sha256(void) { return 2; }
int EC_KEY_new(void) { return 3; }
int X509_VERIFY_PARAM_set1_host(void) { return 4; }
