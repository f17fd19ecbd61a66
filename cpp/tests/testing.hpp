// A tiny test harness: TEST(name) { CHECK(cond); CHECK_EQ(a, b); CHECK_THROWS(expr, Type); }
// and CSOUNDPP_TEST_MAIN() once per test executable. Exit status is the
// number of failed tests (ctest reports a failure for any non-zero status).
#pragma once

#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace testing {

struct Case {
  const char* name;
  std::function<void()> fn;
};
inline std::vector<Case>& registry() {
  static std::vector<Case> r;
  return r;
}
struct Register {
  Register(const char* name, std::function<void()> fn) { registry().push_back({name, std::move(fn)}); }
};
struct Failure : std::exception {
  std::string msg;
  explicit Failure(std::string m) : msg(std::move(m)) {}
  const char* what() const noexcept override { return msg.c_str(); }
};
inline int run_all(int argc, char** argv) {
  int failed = 0;
  for (auto& c : registry()) {
    if (argc > 1 && std::string(argv[1]) != c.name) continue;
    auto t0 = std::chrono::steady_clock::now();
    std::printf("[ RUN  ] %s\n", c.name);
    std::fflush(stdout);
    try {
      c.fn();
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      std::printf("[  OK  ] %s (%.0f ms)\n", c.name, ms);
    } catch (const std::exception& e) {
      ++failed;
      std::printf("[ FAIL ] %s: %s\n", c.name, e.what());
    }
    std::fflush(stdout);
  }
  std::printf("%zu tests, %d failed\n", registry().size(), failed);
  return failed;
}

}  // namespace testing

#define TESTING_CAT2(a, b) a##b
#define TESTING_CAT(a, b) TESTING_CAT2(a, b)
#define TEST(name)                                                          \
  static void name();                                                       \
  static ::testing::Register TESTING_CAT(register_, name)(#name, &name);    \
  static void name()

#define TESTING_FAIL(text)                                                  \
  do {                                                                      \
    std::ostringstream testing_os_;                                         \
    testing_os_ << __FILE__ << ":" << __LINE__ << ": " << text;             \
    throw ::testing::Failure(testing_os_.str());                            \
  } while (0)

#define CHECK(cond)                                                         \
  do {                                                                      \
    if (!(cond)) TESTING_FAIL("CHECK(" #cond ") failed");                   \
  } while (0)

#define CHECK_EQ(a, b)                                                      \
  do {                                                                      \
    auto testing_a_ = (a);                                                  \
    auto testing_b_ = (b);                                                  \
    if (!(testing_a_ == testing_b_))                                        \
      TESTING_FAIL("CHECK_EQ(" #a ", " #b ") failed: " << testing_a_ << " != " << testing_b_); \
  } while (0)

#define CHECK_THROWS(expr, Type)                                            \
  do {                                                                      \
    bool testing_thrown_ = false;                                           \
    try {                                                                   \
      (void)(expr);                                                         \
    } catch (const Type&) {                                                 \
      testing_thrown_ = true;                                               \
    }                                                                       \
    if (!testing_thrown_) TESTING_FAIL("CHECK_THROWS(" #expr ", " #Type ") did not throw"); \
  } while (0)

#define CSOUNDPP_TEST_MAIN() \
  int main(int argc, char** argv) { return ::testing::run_all(argc, argv); }
