package truce

import "testing"

// TestRequiredTextNotBlank: a required text of only spaces, tabs and
// newlines is as missing as an empty one.
func TestRequiredTextNotBlank(t *testing.T) {
	for _, blank := range []string{" ", "  \n\t ", "\u00a0", "\u3000"} {
		if err := (&ReplyInput{Text: blank}).Validate(); ErrorCode(err) != EINVALID || ErrorField(err) != "text" {
			t.Errorf("reply %q: %v, want EINVALID about text", blank, err)
		}
		if err := (&AnswerInput{Text: blank}).Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("answer %q: %v, want EINVALID", blank, err)
		}
	}
	if err := (&ReplyInput{Text: " No. "}).Validate(); err != nil {
		t.Errorf("reply %q: %v", " No. ", err)
	}
	if err := checkText("note", "   ", 0, 10); err != nil {
		t.Errorf("an optional text of spaces: %v", err)
	}
}
