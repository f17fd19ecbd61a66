// Keyword forms of the peers: one generic overload appended to a method's pybind11 overload
// chain, reached only when no typed overload accepts the call (in neither of pybind11's
// passes). It hands (self, args, kwargs) to a Python handler that renames the peers'
// keyword arguments (python/csoundpp/_keywords.py) and calls the method again positionally.
// Positional calls that the typed overloads accept never get here: no per-call cost for them.
#include <cstdlib>
#include <cstring>

#include "common.hpp"

namespace csoundpp::bind {
// The first positional argument after self, loaded only in pybind11's second (converting)
// pass: every typed overload, with and without conversions, is tried before this one.
struct LastResortArg {
  py::object value;
};
}  // namespace csoundpp::bind

namespace pybind11::detail {
template <>
struct type_caster<csoundpp::bind::LastResortArg> {
  PYBIND11_TYPE_CASTER(csoundpp::bind::LastResortArg, const_name("object"));
  bool load(handle src, bool convert) {
    if (!convert) return false;
    value.value = reinterpret_borrow<object>(src);
    return true;
  }
  static handle cast(const csoundpp::bind::LastResortArg& v, return_value_policy, handle) {
    return v.value.inc_ref();
  }
};
}  // namespace pybind11::detail

namespace csoundpp::bind {

void init_keywords(py::module_& m) {
  // A marker for "no first positional argument was given". A handle, never released: a static
  // py::object would be decref'ed by the exit handlers after the interpreter has finalized,
  // which crashes Python 3.13 at exit (seen with the cp313 wheel on Debian 13).
  static py::handle absent = py::module_::import("builtins").attr("object")().release();
  m.attr("_ABSENT") = absent;
  m.def(
      "_add_keyword_fallback",
      [](py::object cls, const std::string& name, py::object handler) {
        py::object existing = py::getattr(cls, name.c_str(), py::none());
        if (!existing.is_none() && PyInstanceMethod_Check(existing.ptr()))
          existing = py::reinterpret_borrow<py::object>(PyInstanceMethod_GET_FUNCTION(existing.ptr()));
        if (existing.is_none() || !PyCFunction_Check(existing.ptr()))
          throw py::type_error(name + " is not a native method of " + py::str(cls).cast<std::string>());
        // Keep the docstring (and so the generated stubs) as it was: the fallback is not a
        // signature of its own, it accepts the peers' spellings of the typed ones.
        py::object doc = existing.attr("__doc__");
        py::cpp_function fallback(
            [handler](py::object self, LastResortArg first, py::args args, py::kwargs kwargs) -> py::object {
              py::tuple all;
              if (first.value.is(absent)) {
                all = py::tuple(args);
              } else {
                all = py::tuple(args.size() + 1);
                all[0] = first.value;
                for (std::size_t i = 0; i < args.size(); ++i) all[i + 1] = args[i];
              }
              return handler(self, all, kwargs);
            },
            py::name(name.c_str()), py::is_method(cls), py::sibling(existing),
            py::arg("__csoundpp_first").none(true) = absent);
        // The overload went into existing's chain: cls.<name> and every alias of it (the same
        // function object) now reach it; no setattr, so aliases stay identical objects.
        // pybind11 rebuilt the chain's docstring with the new overload in it: put the old one back.
        auto* fn = reinterpret_cast<PyCFunctionObject*>(existing.ptr());
        if (!doc.is_none()) {
          auto text = doc.cast<std::string>();
          char* copy = static_cast<char*>(std::malloc(text.size() + 1));
          if (!copy) throw std::bad_alloc();
          std::memcpy(copy, text.c_str(), text.size() + 1);
          std::free(const_cast<char*>(fn->m_ml->ml_doc));
          fn->m_ml->ml_doc = copy;
        }
      },
      py::arg("cls"), py::arg("name"), py::arg("handler"),
      "Appends the keyword fallback handler(self, args, kwargs) to cls.<name>'s overloads "
      "(private: csoundpp._keywords calls it at import).");
}

}  // namespace csoundpp::bind
