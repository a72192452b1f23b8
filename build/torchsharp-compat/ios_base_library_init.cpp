// GCC 13 emits a call to std::ios_base_library_init() from every translation unit that includes
// <iostream>; libstdc++ older than 13 (Debian 12 ships 12.2) does not export it. The hook only has to
// guarantee that the standard streams are initialised, which constructing an ios_base::Init does.
#include <ios>
namespace std {
void ios_base_library_init() { static ios_base::Init streams_initialised; }
}
