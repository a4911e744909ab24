/* An out-of-tree vendor kernel module, as DKMS or a vendor installer leaves it in extra/:
   .modinfo (vermagic from -DVERMAGIC), __versions CRCs of the kernel symbols it uses, and a
   .gnu.linkonce.this_module section. Built with gcc -c; never loaded. */
struct modversion_info {
  unsigned long crc;
  char name[64 - sizeof(unsigned long)];
};
__attribute__((used, section("__versions"), aligned(8)))
static const struct modversion_info versions[] = {
    {0x28950ef1UL, "module_layout"},
    {0x27e1a049UL, "printk"},
    {0xd2b09ce5UL, "__kmalloc"},
    {0x37a0cba1UL, "kfree"},
    {0x3744cf36UL, "hwmon_device_register"},
};
__attribute__((used, section(".modinfo"), aligned(1)))
static const char modinfo[] =
    "license=Proprietary\0author=ACME Hardware\0description=ACME board sensors\0"
    "version=2.1.7\0srcversion=5D1E0C8A77F3B2A9C04D6E1\0depends=\0retpoline=Y\0"
    "name=acme_hwmon\0vermagic=" VERMAGIC "\0";
struct module_stub {
  char head[24];
  char name[56];
};
__attribute__((section(".gnu.linkonce.this_module")))
struct module_stub __this_module = {{0}, "acme_hwmon"};
extern int printk(const char *fmt, ...);
extern void *__kmalloc(unsigned long size, unsigned flags);
extern void kfree(const void *p);
extern void *hwmon_device_register(void *dev);
int init_module(void) {
  void *p = __kmalloc(16, 0);
  printk("acme_hwmon: loaded\n");
  kfree(p);
  return hwmon_device_register(0) == 0;
}
