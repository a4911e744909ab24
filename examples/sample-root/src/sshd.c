/* Stand-in for /usr/sbin/sshd: needs libcrypto (the distribution's soname). */
int CRYPTO_malloc(void);
int main(void) { return CRYPTO_malloc() - 1; }
