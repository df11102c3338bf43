#include <chrono>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "core/run_every.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

void give_back_free_memory(App& app) {
#if defined(__GLIBC__)
  // Freed chunks inside an arena's heap are returned only from its top; malloc_trim
  // releases the free pages in the middle too. A pass costs well under a millisecond
  // when there is nothing to give back.
  app.background_tasks.push_back([](std::stop_token stop) {
    run_every(
        std::chrono::seconds(10), stop, [] { malloc_trim(0); }, "memory trim");
  });
#else
  (void)app;
#endif
}

}  // namespace cloudretail::app
