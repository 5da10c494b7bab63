# User-defined exception classes.
class AppError(Exception):
    pass

class SensorError(AppError):
    def __init__(self, sensor, value):
        super().__init__(sensor, value)
        self.sensor = sensor

class Quiet(ValueError):
    pass

for exc in [AppError('plain'), SensorError('light', 300), Quiet(), AppError()]:
    try:
        raise exc
    except AppError as e:
        print('AppError branch:', repr(e), str(e), e.args)
    except ValueError as e:
        print('ValueError branch:', repr(e), '[%s]' % e)
try:
    raise SensorError('temp', -5)
except Exception as e:
    print(e.sensor, isinstance(e, AppError), isinstance(e, Exception))
try:
    raise AppError
except AppError as e:
    print('class raised:', repr(e))
print(issubclass(SensorError, Exception), issubclass(Quiet, AppError))
print(AppError('x'), [AppError('y')])
