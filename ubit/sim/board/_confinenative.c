/* The sandbox's system calls without ctypes (issue 17).
 *
 * Every board confines itself as it starts (sandbox.py: prctl, Landlock's three system
 * calls, a seccomp filter) and loads libgcc_s ahead of need. Through ctypes that cost
 * each board ctypes' import and its libraries' loading, a few milliseconds of CPU on the
 * way to the program's first line. This module makes the same calls directly: ``prctl``
 * and ``syscall`` take ints, bytes (their buffer's address) and None (NULL) as sandbox.py
 * passes them to ctypes' ``CDLL(None)``; ``seccomp_filter`` installs a classic BPF program
 * (the ``struct sock_fprog`` ctypes built around its bytes); ``load`` keeps a shared
 * library loaded. Optional: sandbox.py uses ctypes where it isn't built.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <dlfcn.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* An argument as a machine word: an int, a bytes object's buffer, or None (NULL). */
static int word_of(PyObject *arg, long *word)
{
    if (arg == Py_None) {
        *word = 0;
        return 0;
    }
    if (PyBytes_Check(arg)) {
        *word = (long)PyBytes_AS_STRING(arg);
        return 0;
    }
    *word = PyLong_AsLong(arg);
    return (*word == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* The words of args[first:], at most ``most`` of them, the rest 0. */
static int words_of(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t first,
                    Py_ssize_t most, long *words)
{
    if (nargs - first > most) {
        PyErr_SetString(PyExc_TypeError, "too many arguments");
        return -1;
    }
    for (Py_ssize_t i = 0; i < most; i++) {
        words[i] = 0;
        if (first + i < nargs && word_of(args[first + i], &words[i]) < 0)
            return -1;
    }
    return 0;
}

static PyObject *confine_syscall(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    long number, words[6];
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "syscall needs its number");
        return NULL;
    }
    if (word_of(args[0], &number) < 0 || words_of(args, nargs, 1, 6, words) < 0)
        return NULL;
    /* the bytes passed stay alive in ``args`` for the call */
    long result = syscall(number, words[0], words[1], words[2], words[3], words[4], words[5]);
    return PyLong_FromLong(result);
}

static PyObject *confine_prctl(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    long words[5];
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "prctl needs its option");
        return NULL;
    }
    if (words_of(args, nargs, 0, 5, words) < 0)
        return NULL;
    return PyLong_FromLong(prctl((int)words[0], (unsigned long)words[1],
                                 (unsigned long)words[2], (unsigned long)words[3],
                                 (unsigned long)words[4]));
}

static PyObject *confine_seccomp_filter(PyObject *self, PyObject *program)
{
    if (!PyBytes_Check(program) || PyBytes_GET_SIZE(program) % sizeof(struct sock_filter)) {
        PyErr_SetString(PyExc_ValueError, "a filter is bytes of whole instructions");
        return NULL;
    }
    struct sock_fprog fprog = {
        .len = (unsigned short)(PyBytes_GET_SIZE(program) / sizeof(struct sock_filter)),
        .filter = (struct sock_filter *)PyBytes_AS_STRING(program),
    };
    return PyLong_FromLong(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0));
}

static PyObject *confine_load(PyObject *self, PyObject *name)
{
    const char *path = PyUnicode_AsUTF8(name);
    if (path == NULL)
        return NULL;
    /* kept loaded for the process's life, as ctypes' CDLL keeps it */
    return PyBool_FromLong(dlopen(path, RTLD_NOW | RTLD_LOCAL) != NULL);
}

static PyMethodDef methods[] = {
    {"syscall", (PyCFunction)(void (*)(void))confine_syscall, METH_FASTCALL,
     "syscall(number, *args): the C library's syscall(); ints, bytes or None."},
    {"prctl", (PyCFunction)(void (*)(void))confine_prctl, METH_FASTCALL,
     "prctl(option, *args): the C library's prctl()."},
    {"seccomp_filter", confine_seccomp_filter, METH_O,
     "seccomp_filter(program): install a classic BPF seccomp filter; prctl's result."},
    {"load", confine_load, METH_O,
     "load(name): load a shared library and keep it; whether it loaded."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_confinenative",
    "The sandbox's system calls without ctypes (sandbox.py's fast path).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__confinenative(void)
{
    return PyModule_Create(&module);
}
