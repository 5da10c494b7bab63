/* The board's dict and set bases in C (hashorder.py's fast path, issue 18).
 *
 * hashorder.py's MPSet logs each item a set gains, in arrival order (the firmware's slot
 * placement depends on it), and MPDict tells its shadow table of each deletion. Done in
 * Python, ``set.add`` became a Python call (a frame per add: most of a dict-heavy loop's
 * extra time) and ``__delitem__`` made every ``d[k] = v`` go through CPython's slow
 * generic slot (a Python-level ``__delitem__`` takes over the slot stores share).
 *
 * ``SetBase``: a set with the log (``_log``, a list) in its struct and ``add``/``update``
 * that add an item it doesn't hold and append it to the log, as MPSet's Python ones do
 * (the same ``in`` test first, so a subclass's ``__contains__`` and a set item behave the
 * same). ``DictBase``: a dict whose deletions call ``self._drop(key)`` first when the key
 * is held (as MPDict's Python ``__delitem__``); stores go straight to the dict's.
 * Both are heap types named ``builtins.*`` so the board's dir() hides ``_log`` as it hides
 * the rest of the emulation's helpers (introspection.is_native).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    PySetObject set;
    PyObject *log; /* a list: the items added since the shadow table last caught up */
} HashSet;

static PyObject *drop_name; /* "_drop", interned */

/* Append ``item`` to the set's log, making the log if the set has none yet (a subclass
 * whose __init__ doesn't call set's). */
static int log_item(HashSet *self, PyObject *item)
{
    if (self->log == NULL) {
        self->log = PyList_New(0);
        if (self->log == NULL)
            return -1;
    }
    return PyList_Append(self->log, item);
}

/* ``item not in self``, then add and log: one item, as MPSet.add. */
static int add_one(HashSet *self, PyObject *item)
{
    int held = PySequence_Contains((PyObject *)self, item);
    if (held != 0)
        return held < 0 ? -1 : 0;
    if (PySet_Add((PyObject *)self, item) < 0)
        return -1;
    return log_item(self, item);
}

static PyObject *set_add(HashSet *self, PyObject *item)
{
    if (add_one(self, item) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *set_update(HashSet *self, PyObject *others)
{
    Py_ssize_t i, n = PyTuple_GET_SIZE(others);
    for (i = 0; i < n; i++) {
        PyObject *it = PyObject_GetIter(PyTuple_GET_ITEM(others, i));
        PyObject *item;
        if (it == NULL)
            return NULL;
        while ((item = PyIter_Next(it)) != NULL) {
            int failed = add_one(self, item) < 0;
            Py_DECREF(item);
            if (failed) {
                Py_DECREF(it);
                return NULL;
            }
        }
        Py_DECREF(it);
        if (PyErr_Occurred())
            return NULL;
    }
    Py_RETURN_NONE;
}

static int set_traverse(HashSet *self, visitproc visit, void *arg)
{
    Py_VISIT(self->log);
    Py_VISIT(Py_TYPE(self)); /* a heap type: its instances hold it */
    return PySet_Type.tp_traverse((PyObject *)self, visit, arg);
}

static int set_clear_refs(HashSet *self)
{
    Py_CLEAR(self->log);
    return PySet_Type.tp_clear((PyObject *)self);
}

static void set_dealloc(HashSet *self)
{
    PyTypeObject *type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Py_CLEAR(self->log);
    PySet_Type.tp_dealloc((PyObject *)self);
    Py_DECREF(type);
}

static PyMethodDef set_methods[] = {
    {"add", (PyCFunction)set_add, METH_O, "Add an element to a set."},
    {"update", (PyCFunction)set_update, METH_VARARGS,
     "Update a set with the union of itself and others."},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef set_members[] = {
    {"_log", T_OBJECT_EX, offsetof(HashSet, log), 0,
     "The items added since the shadow table last caught up, in arrival order."},
    {NULL, 0, 0, 0, NULL}
};

static PyType_Slot set_slots[] = {
    {Py_tp_doc, "A set that logs the items it gains, in arrival order."},
    {Py_tp_methods, set_methods},
    {Py_tp_members, set_members},
    {Py_tp_traverse, set_traverse},
    {Py_tp_clear, set_clear_refs},
    {Py_tp_dealloc, set_dealloc},
    {0, NULL}
};

static PyType_Spec set_spec = {
    "builtins.set", sizeof(HashSet), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC, set_slots
};

/* ``d[key] = value`` as the dict's; ``del d[key]``: ``self._drop(key)`` first if held. */
static int dict_ass_sub(PyObject *self, PyObject *key, PyObject *value)
{
    if (value == NULL) {
        int held = PySequence_Contains(self, key);
        if (held < 0)
            return -1;
        if (held) {
            PyObject *done = PyObject_CallMethodOneArg(self, drop_name, key);
            if (done == NULL)
                return -1;
            Py_DECREF(done);
        }
    }
    return PyDict_Type.tp_as_mapping->mp_ass_subscript(self, key, value);
}

static int dict_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    return PyDict_Type.tp_traverse(self, visit, arg);
}

static int dict_clear_refs(PyObject *self)
{
    return PyDict_Type.tp_clear(self);
}

static void dict_dealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    PyDict_Type.tp_dealloc(self);
    Py_DECREF(type);
}

static PyType_Slot dict_slots[] = {
    {Py_tp_doc, "A dict that calls self._drop(key) before deleting a key it holds."},
    {Py_mp_ass_subscript, dict_ass_sub},
    {Py_tp_traverse, dict_traverse},
    {Py_tp_clear, dict_clear_refs},
    {Py_tp_dealloc, dict_dealloc},
    {0, NULL}
};

static PyType_Spec dict_spec = {
    "builtins.dict", 0, 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC, dict_slots
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_hashnative",
    "The board's dict and set bases in C (hashorder.py's fast path).", -1, NULL,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC PyInit__hashnative(void)
{
    PyObject *m, *set_type, *dict_type;
    drop_name = PyUnicode_InternFromString("_drop");
    if (drop_name == NULL)
        return NULL;
    m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    set_type = PyType_FromSpecWithBases(&set_spec, (PyObject *)&PySet_Type);
    if (set_type == NULL || PyModule_AddObject(m, "SetBase", set_type) < 0) {
        Py_XDECREF(set_type);
        Py_DECREF(m);
        return NULL;
    }
    dict_type = PyType_FromSpecWithBases(&dict_spec, (PyObject *)&PyDict_Type);
    if (dict_type == NULL || PyModule_AddObject(m, "DictBase", dict_type) < 0) {
        Py_XDECREF(dict_type);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
