/* Gas quiz, stride 2048 words: see gas_quiz.h. */
#define QUIZ_STRIDE 2048
#include "gas_quiz.h"
