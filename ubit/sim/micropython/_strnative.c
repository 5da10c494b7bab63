/* ``str(x)`` of a name in C: the compiler's fast path (compiler.py, issue 17).
 *
 * The compiler turns ``str(x)``, ``x`` a name, into
 * ``(str if type(x) in PLAIN or str is not __mp_realstr__ else __mp_strslow__)(x)``: the
 * firmware's text for floats and containers, CPython's for the types whose text is the
 * same (exact str, int, bool, None: mpbuiltins.PLAIN_STR_TYPES), and a user's own ``str``
 * if the program rebinds the name. That is nine instructions more than ``str(x)``; where
 * this module is built, the compiler calls ``name_str(str, x)`` instead, which does the
 * same in one C call: ``callee(x)`` for a rebound ``str``, CPython's text for the plain
 * types, else ``__mp_strslow__(x)`` (looked up as the name would be: the caller's
 * globals, then its builtins).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *slow_name; /* "__mp_strslow__", interned */

/* ``name_str(callee, value)``: what the compiler's conditional form gives (see the top). */
static PyObject *name_str(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *callee, *value, *slow, *scope;
    PyTypeObject *kind;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "name_str() takes the callee and the value");
        return NULL;
    }
    callee = args[0];
    value = args[1];
    if (callee != (PyObject *)&PyUnicode_Type)
        return PyObject_CallOneArg(callee, value);
    kind = Py_TYPE(value);
    if (kind == &PyUnicode_Type || kind == &PyLong_Type || kind == &PyBool_Type ||
            value == Py_None)
        return PyObject_Str(value);  /* str(value) itself, for these exact types */
    scope = PyEval_GetGlobals();
    slow = scope == NULL ? NULL : PyDict_GetItemWithError(scope, slow_name);
    if (slow == NULL && !PyErr_Occurred()) {
        scope = PyEval_GetBuiltins();
        slow = scope == NULL ? NULL : PyDict_GetItemWithError(scope, slow_name);
    }
    if (slow == NULL) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_NameError, "name '%U' is not defined", slow_name);
        return NULL;
    }
    Py_INCREF(slow);
    value = PyObject_CallOneArg(slow, value);
    Py_DECREF(slow);
    return value;
}

static PyMethodDef methods[] = {
    {"name_str", (PyCFunction)(void (*)(void))name_str, METH_FASTCALL,
     "name_str(callee, value): str(value) as the compiler's fast path gives it."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_strnative",
    "str(x) of a name in C (compiler.py's fast path).", -1, methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC PyInit__strnative(void)
{
    slow_name = PyUnicode_InternFromString("__mp_strslow__");
    if (slow_name == NULL)
        return NULL;
    return PyModule_Create(&module);
}
