/* The board's sort's fast-path test in C (v1quirks.sort_list, issue 17).
 *
 * The firmware's sort is an unstable quicksort; CPython's stable sort leaves the same
 * order when equal items can't be told apart, which holds when every key is a plain int
 * or every key a plain str. ``one_type(keys)`` tells that in one pass over the list's
 * pointers: ``set(map(type, keys))`` took 12 us for 1000 ints, a third of their sort.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* ``one_type(items)``: the exact type every item of the list ``items`` has, else None. */
static PyObject *one_type(PyObject *module, PyObject *items)
{
    Py_ssize_t i, n;
    PyTypeObject *first;
    if (!PyList_Check(items)) {
        PyErr_SetString(PyExc_TypeError, "one_type() takes a list");
        return NULL;
    }
    n = PyList_GET_SIZE(items);
    if (n == 0)
        Py_RETURN_NONE;
    first = Py_TYPE(PyList_GET_ITEM(items, 0));
    for (i = 1; i < n; i++) {
        if (Py_TYPE(PyList_GET_ITEM(items, i)) != first)
            Py_RETURN_NONE;
    }
    Py_INCREF(first);
    return (PyObject *)first;
}

static PyMethodDef methods[] = {
    {"one_type", one_type, METH_O,
     "The exact type every item of a list has, or None (an empty list, mixed types)."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_sortnative",
    "The board's sort's fast-path test in C (v1quirks.sort_list's).", -1, methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC PyInit__sortnative(void)
{
    return PyModule_Create(&module);
}
