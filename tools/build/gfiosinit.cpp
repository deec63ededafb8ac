// Provides std::ios_base_library_init(), the one GLIBCXX_3.4.32 (GCC 13) symbol that
// libLibTorchSharp.so needs, for systems whose libstdc++ predates it (Debian 12: GCC 12).
// GCC 13 calls it instead of emitting a per-file ios_base::Init object; doing the same here is equivalent.
#include <ios>
namespace std {
void ios_base_library_init() { static ios_base::Init init; }
}
