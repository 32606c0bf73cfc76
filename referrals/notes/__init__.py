"""Shared case notes on a person's file: who writes them, who reads them (through the
consent policy), their versions and retractions. The CaseNote model stays in
referrals.models: notes are part of the referrals app, and a note may belong to a referral."""
