/* Stand-in for libboost_system.so.1.53.0 (boost-system); C linkage keeps it gcc-only. */
int boost_system_category(void) { return 153; }
