"""The admin forms. Every one carries a CSRF token (Flask-WTF): no admin POST without it."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (PasswordField, RadioField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, Optional

from portal.catalog import vocab

UPLOAD_FORMATS = ("csv", "xlsx", "xls")


class LoginForm(FlaskForm):
    token = PasswordField("관리자 토큰", validators=[DataRequired("관리자 토큰을 입력하세요.")])


class ActionForm(FlaskForm):
    """A button that changes something (지금 실행, 로그아웃): only its CSRF token."""


def _choices(vocabulary) -> list[SelectChoice]:
    return [SelectChoice(code, term.ko) for code, term in vocabulary.items()]


class UploadForm(FlaskForm):
    mode = RadioField("등록 방식", default="new",
                      choices=[SelectChoice("new", "새 데이터셋 만들기"),
                               SelectChoice("existing", "기존 데이터셋에 새 버전 추가")])
    slug = StringField("데이터셋 주소", validators=[
        DataRequired("데이터셋 주소를 입력하세요."),
        Length(max=120, message="데이터셋 주소는 120자 이하로 입력하세요.")])
    file = FileField("파일 (CSV, XLSX, XLS)", validators=[
        FileRequired("올릴 파일을 고르세요."),
        FileAllowed(UPLOAD_FORMATS, "CSV, XLSX, XLS 파일만 올릴 수 있습니다.")])
    title = StringField("제목", validators=[Optional(), Length(max=300)])
    description = TextAreaField("설명", validators=[Optional()])
    owner = SelectField("담당 부서")
    visibility = SelectField("공개 범위", choices=_choices(vocab.VISIBILITIES))
    licence = SelectField("이용 조건 (공공누리)", choices=_choices(vocab.LICENCES),
                          default="KOGL-1")
    update_cycle = SelectField("업데이트 주기", choices=_choices(vocab.UPDATE_CYCLES),
                               default="irregular")
    theme = SelectField("분류", choices=_choices(vocab.THEMES), default="기타")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.mode.data == "new" and not (self.title.data or "").strip():
            self.title.errors = [*self.title.errors, "새 데이터셋에는 제목이 필요합니다."]
            valid = False
        return valid
