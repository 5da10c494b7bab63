/* The cost model's meter in C: its charges' fast path (issue 18).
 *
 * ``ubit.sim.board.cost`` keeps the nanoseconds a program's code has charged; the cost
 * model (ubit/sim/micropython/costmodel.py) compiles a charge into each loop body and function body. As
 * Python, ``meter[0] = meter[0] + ns`` is eight instructions: two a call of a small
 * method paid, a third of its time. Here the meter is a ``Meter`` holding the count
 * as a C integer, read and reset by the board's clock as the list it replaces
 * (``meter[0]``, ``meter[1]``), and its ``Charger`` adds ``ns`` to it when subscripted:
 * ``charger[ns]`` is three instructions and a C call, and no new int object.
 * The sums are the same integers as the list's, so board times don't change.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
    long long slot[2]; /* cost.SPENT, cost.POLL */
} Meter;

typedef struct {
    PyObject_HEAD
    Meter *meter;
} Charger;

static PyTypeObject MeterType;
static PyTypeObject ChargerType;

/* ``meter[i]``'s slot, or -1 with IndexError/TypeError set. */
static int slot_of(PyObject *key)
{
    Py_ssize_t i = PyNumber_AsSsize_t(key, PyExc_IndexError);
    if (i == -1 && PyErr_Occurred())
        return -1;
    if (i < 0)
        i += 2;
    if (i < 0 || i > 1) {
        PyErr_SetString(PyExc_IndexError, "meter index out of range");
        return -1;
    }
    return (int)i;
}

static Py_ssize_t meter_length(PyObject *self)
{
    return 2;
}

static PyObject *meter_getitem(PyObject *self, PyObject *key)
{
    int i = slot_of(key);
    if (i < 0)
        return NULL;
    return PyLong_FromLongLong(((Meter *)self)->slot[i]);
}

static int meter_setitem(PyObject *self, PyObject *key, PyObject *value)
{
    long long v;
    int i;
    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "a meter's slots can't be deleted");
        return -1;
    }
    i = slot_of(key);
    if (i < 0)
        return -1;
    v = PyLong_AsLongLong(value);
    if (v == -1 && PyErr_Occurred())
        return -1;
    ((Meter *)self)->slot[i] = v;
    return 0;
}

static PyObject *meter_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    Meter *m;
    if ((kwargs != NULL && PyDict_GET_SIZE(kwargs)) || !PyArg_ParseTuple(args, ":Meter")) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "Meter() takes no arguments");
        return NULL;
    }
    m = (Meter *)type->tp_alloc(type, 0);
    if (m != NULL)
        m->slot[0] = m->slot[1] = 0;
    return (PyObject *)m;
}

static PyObject *meter_repr(PyObject *self)
{
    Meter *m = (Meter *)self;
    return PyUnicode_FromFormat("Meter([%lld, %lld])", m->slot[0], m->slot[1]);
}

static PyObject *meter_charger(PyObject *self, PyObject *unused)
{
    Charger *c = PyObject_New(Charger, &ChargerType);
    if (c == NULL)
        return NULL;
    Py_INCREF(self);
    c->meter = (Meter *)self;
    return (PyObject *)c;
}

static PyMethodDef meter_methods[] = {
    {"charger", meter_charger, METH_NOARGS,
     "A Charger: ``charger[ns]`` adds ns to this meter's spent time."},
    {NULL, NULL, 0, NULL}
};

static PyMappingMethods meter_mapping = {meter_length, meter_getitem, meter_setitem};

static PyTypeObject MeterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ubit.sim.board._costnative.Meter",
    .tp_basicsize = sizeof(Meter),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The board's meter: [spent ns since the clock last read it, ns a call into "
              "the board costs].",
    .tp_new = meter_new,
    .tp_repr = meter_repr,
    .tp_as_mapping = &meter_mapping,
    .tp_methods = meter_methods,
};

/* ``charger[ns]``: the charge itself (ns an int the cost model compiled in). */
static PyObject *charger_getitem(PyObject *self, PyObject *key)
{
    Meter *m = ((Charger *)self)->meter;
    long long ns = PyLong_AsLongLong(key);
    if (ns == -1 && PyErr_Occurred())
        return NULL;
    if (__builtin_add_overflow(m->slot[0], ns, &m->slot[0])) {
        PyErr_SetString(PyExc_OverflowError, "the board's meter overflowed");
        return NULL;
    }
    Py_RETURN_NONE;
}

static void charger_dealloc(PyObject *self)
{
    Py_DECREF(((Charger *)self)->meter);
    PyObject_Free(self);
}

static PyMappingMethods charger_mapping = {NULL, charger_getitem, NULL};

static PyTypeObject ChargerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ubit.sim.board._costnative.Charger",
    .tp_basicsize = sizeof(Charger),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "``charger[ns]`` adds ns to its meter's spent time (and gives None).",
    .tp_dealloc = charger_dealloc,
    .tp_as_mapping = &charger_mapping,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_costnative",
    "The cost model's meter and its charges in C (costmodel.py's fast path).", -1, NULL
};

PyMODINIT_FUNC PyInit__costnative(void)
{
    PyObject *m;
    if (PyType_Ready(&MeterType) < 0 || PyType_Ready(&ChargerType) < 0)
        return NULL;
    m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&MeterType);
    if (PyModule_AddObject(m, "Meter", (PyObject *)&MeterType) < 0) {
        Py_DECREF(&MeterType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
