"""Working days of the planning: week-ends and French public holidays, where a dragged bar lands."""

import datetime as dt

from bonsjours_desktop.core import working_days as W

D = dt.date


def test_week_ends_and_public_holidays_are_days_off():
    assert W.is_working_day(D(2013, 11, 12))  # a Tuesday
    assert not W.is_working_day(D(2013, 11, 16))  # Saturday
    assert not W.is_working_day(D(2013, 11, 11))  # Monday, Armistice
    assert not W.is_working_day(D(2014, 5, 1))  # Thursday, fête du Travail
    assert W.is_working_day(D(2013, 11, 16), extra={D(2013, 11, 16)})  # the event's Saturday


def test_a_drop_goes_to_the_nearest_working_day():
    monday = D(2014, 1, 13)
    # Moved by +6: Sunday → Monday; by +5: Saturday → Friday.
    assert W.snap_move(monday, monday, 6) == (D(2014, 1, 20), D(2014, 1, 20))
    assert W.snap_move(monday, monday, 5) == (D(2014, 1, 17), D(2014, 1, 17))
    # Sunday 10 November 2013: Monday 11 is a holiday; Saturday and Friday... the nearest is Tuesday 12
    # (Friday 8 is as far, the drag went forward).
    assert W.snap_move(D(2013, 11, 4), D(2013, 11, 4), 6) == (D(2013, 11, 12), D(2013, 11, 12))
    assert W.snap_move(D(2013, 11, 15), D(2013, 11, 15), -5) == (D(2013, 11, 8), D(2013, 11, 8))


def test_both_ends_of_a_bar_land_on_working_days():
    # Thursday–Friday moved by one day would end on a Saturday: forward to Monday–Tuesday, or back.
    start, end = D(2014, 1, 9), D(2014, 1, 10)
    assert W.snap_move(start, end, 3) == (D(2014, 1, 13), D(2014, 1, 14))
    assert W.snap_move(start, end, 1) == (start, end)
    new_start, new_end = W.snap_move(D(2014, 1, 6), D(2014, 1, 10), 12)
    assert W.is_working_day(new_start) and W.is_working_day(new_end)
    assert (new_end - new_start) == dt.timedelta(days=4)


def test_a_resized_end_lands_on_a_working_day_never_before_the_start():
    start, end = D(2014, 1, 13), D(2014, 1, 15)
    assert W.snap_end(start, end, 4) == D(2014, 1, 20)  # Sunday 19 → Monday 20
    assert W.snap_end(start, end, 3) == D(2014, 1, 17)  # Saturday 18 → Friday 17
    assert W.snap_end(start, end, -10) == start


def test_the_setting_is_on_by_default_and_stored_with_the_data(db):
    with db.session() as session:
        assert W.snap_enabled(session) is True
        W.set_snap_enabled(session, False)
        session.commit()
    with db.session() as session:
        assert W.snap_enabled(session) is False
