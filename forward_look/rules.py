"""Who may see the forward look and keep a calendar feed.

Decisions recorded here:
- Everyone signed in sees the calendar: each person sees on it only the events of what they may
  see elsewhere (the apps' own ``visible_to``), so a lead's calendar has no stocktake and no
  round before it is agreed.
- Everyone signed in keeps a feed of their own, and only their own: its page, replacing and
  stopping it act on the signed-in person's feed alone. The feed's address opens without
  signing in (calendar clients cannot sign in), and only with its token.
"""

import rules

from delivery_unit.rules import signed_in

rules.add_perm("forward_look.view_calendar", signed_in)
rules.add_perm("forward_look.keep_feed", signed_in)
