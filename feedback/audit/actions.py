"""What each kind of audit event is called on the audit log: one entry an action code.

`record` refuses a code that is not here, so that no event reaches the log as a code
nobody can read; tests/feedback/audit/test_actions.py finds every code the app records
and checks that each is here. Codes are kept as they are in the database (a filter of
the log may name them); only their words are shown.
"""

from __future__ import annotations

from feedback.i18n import sN_

ACTIONS: dict[str, str] = {
    # Safeguarding alerts
    "alert-raised": sN_("Alert raised"),
    "alert-viewed": sN_("Alert viewed"),
    "alert-acknowledged": sN_("Alert acknowledged"),
    "alert-action-taken": sN_("Action taken on an alert"),
    "alert-updated": sN_("Alert updated"),
    "alert-escalated": sN_("Alert escalated"),
    "alert-closed": sN_("Alert closed"),
    "duty-manager-set": sN_("Duty manager set"),
    "duty-rota-set": sN_("Duty rota set"),
    # Cases and families
    "case-closed": sN_("Case closed"),
    "case-reopened": sN_("Case reopened"),
    "erase-case": sN_("Case erased"),
    "family-contact-added": sN_("Family contact added"),
    "family-contact-removed": sN_("Family contact removed"),
    # Speaking with a manager
    "talk-requested": sN_("Asked to speak with a manager"),
    "talk-viewed": sN_("Request to talk viewed"),
    "talk-contacted": sN_("Young person contacted about their request to talk"),
    "talk-shared": sN_("Request to talk shared"),
    "talk-resolved": sN_("Request to talk answered"),
    "talk-overdue": sN_("Request to talk overdue"),
    # Figures about many young people
    "dashboard.view": sN_("Dashboard viewed"),
    "dashboard.export": sN_("Dashboard exported"),
    "report.view": sN_("Monthly report viewed"),
    "report.export": sN_("Monthly report exported"),
    "report.commentary": sN_("Monthly report commentary written"),
    "you-said-we-did-published": sN_("\u201cYou said, we did\u201d published"),
    # Staff, teams and settings
    "staff-invited": sN_("Member of staff invited"),
    "staff-invite-link-used": sN_("Invitation link used to set a password"),
    "staff-reset-link-used": sN_("Reset link used to set a password"),
    "staff-password-set": sN_("Password set"),
    "staff-password-reset": sN_("Password reset by an admin"),
    "staff-role-changed": sN_("Role changed"),
    "staff-deactivated": sN_("Member of staff deactivated"),
    "staff-reactivated": sN_("Member of staff reactivated"),
    "mfa-enrolled": sN_("Sign-in codes from a phone set up"),
    "mfa-reset": sN_("Sign-in codes from a phone reset"),
    "mfa-recovery-codes-made": sN_("Recovery codes made"),
    "mfa-recovery-code-used": sN_("Recovery code used"),
    "team-created": sN_("Team created"),
    "team-renamed": sN_("Team renamed"),
    "team-retired": sN_("Team retired"),
    "team-reinstated": sN_("Team reinstated"),
    "setting-changed": sN_("Setting changed"),
    # Keeping data no longer than it is needed
    "retention-purge": sN_("Data past its keeping time removed"),
}
