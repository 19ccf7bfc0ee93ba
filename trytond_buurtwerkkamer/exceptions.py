# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import ValidationError


class RoomValidationError(ValidationError):
    pass


class RoomTransitionError(UserError):
    pass


class StartUpValidationError(ValidationError):
    pass


class CovenantValidationError(ValidationError):
    pass


class AgreementError(UserError):
    pass


class AgreementValidationError(ValidationError):
    pass


class InputValidationError(ValidationError):
    pass


class PlacementValidationError(ValidationError):
    pass


class PlacementTransitionError(UserError):
    pass


class EmploymentValidationError(ValidationError):
    pass


class EmploymentError(UserError):
    pass


class MeetingValidationError(ValidationError):
    pass


class ConflictError(UserError):
    pass


class SuspensionValidationError(ValidationError):
    pass


class HandgeldValidationError(ValidationError):
    pass


class HandgeldDuplicateWarning(UserWarning):
    pass


class HandgeldConfigurationError(UserError):
    pass


class HandgeldPaymentError(UserError):
    pass


class FixedCostError(UserError):
    pass


class AnnualReportError(UserError):
    pass


class AnnualReportWarning(UserWarning):
    pass


class AuditFileError(UserError):
    pass
