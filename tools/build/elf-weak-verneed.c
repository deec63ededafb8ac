/* Marks one version requirement of an ELF64 shared library weak (VER_FLG_WEAK), in place.
 * usage: elf-weak-verneed FILE VERSION   (e.g. GLIBCXX_3.4.32)
 * With the flag set, the dynamic loader warns instead of refusing to load the library when the
 * system lacks that version; tools/build/gfiosinit.cpp supplies the only symbol that needs it.
 * No tool on Debian 12 flips this flag (patchelf cannot), hence this 60-line program.
 * Exit: 0 patched or already weak, 3 version not required by FILE, 1 error. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s FILE VERSION\n", argv[0]); return 1; }
    FILE *f = fopen(argv[1], "r+b");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(size);
    if (!b || fread(b, 1, size, f) != (size_t)size) { fprintf(stderr, "%s: read failed\n", argv[1]); return 1; }
    Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) {
        fprintf(stderr, "%s: not an ELF64 file\n", argv[1]); return 1;
    }
    Elf64_Shdr *sh = (Elf64_Shdr *)(b + eh->e_shoff);
    int found = 0, changed = 0;
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_GNU_verneed) continue;
        const char *strtab = (const char *)(b + sh[sh[i].sh_link].sh_offset);
        unsigned char *p = b + sh[i].sh_offset;
        for (;;) {
            Elf64_Verneed *vn = (Elf64_Verneed *)p;
            unsigned char *q = p + vn->vn_aux;
            for (int k = 0; k < vn->vn_cnt; k++) {
                Elf64_Vernaux *va = (Elf64_Vernaux *)q;
                if (strcmp(strtab + va->vna_name, argv[2]) == 0) {
                    found = 1;
                    if (!(va->vna_flags & VER_FLG_WEAK)) { va->vna_flags |= VER_FLG_WEAK; changed = 1; }
                }
                if (!va->vna_next) break;
                q += va->vna_next;
            }
            if (!vn->vn_next) break;
            p += vn->vn_next;
        }
    }
    if (!found) { fclose(f); return 3; }
    if (changed) {
        fseek(f, 0, SEEK_SET);
        if (fwrite(b, 1, size, f) != (size_t)size || fflush(f) != 0) { fprintf(stderr, "%s: write failed\n", argv[1]); return 1; }
    }
    fclose(f);
    return 0;
}
