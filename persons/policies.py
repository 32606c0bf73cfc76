"""Who may open and change files. The rules are role rules over the Actor and live in
members.policies, which consent reads too; seeing another organisation's file is
consent's business (consent.policies)."""

from members.policies import can_edit_file, can_open_files, can_read_personal_data

__all__ = ["can_edit_file", "can_open_files", "can_read_personal_data"]
